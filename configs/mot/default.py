# The MOT config the app uses by default, under one stable name for users and scripts:
# ByteTrack on the default CenterNet detector, tracking people. data.test is MOT17's, as
# _base_/datasets/mot_challenge.py sets it (mmtrack test; point it at a MOTChallenge folder with
# --cfg-options data.test.img_prefix=DIR data.test.ann_file=None).
_base_ = ['./bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py']
data_root = 'data/MOT17/'
data = dict(
    test=dict(
        type='MOTChallengeDataset',
        ann_file=data_root + 'annotations/train_cocoformat.json',
        img_prefix=data_root + 'train',
        ref_img_sampler=None))
evaluation = dict(metric=['HOTA', 'CLEAR', 'Identity'], interval=1)
