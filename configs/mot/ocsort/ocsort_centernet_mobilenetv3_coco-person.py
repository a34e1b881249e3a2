# OC-SORT (https://arxiv.org/abs/2203.14360) on the default detector, people only: the default config's CenterNet with
# MMTracking's OCSORTTracker instead of ByteTrack (no model to export). MMTracking's OC-SORT values suit YOLOX, whose
# person scores are near 1; this CenterNet scores people 0.15-0.5, so the score thresholds are scaled down as the
# ByteTrack config's are, and IoU is not weighted by the score (IoU x 0.4 would rarely pass match_iou_thr=0.3, and
# every person would get a new id each frame).
_base_ = ['../bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py']
model = dict(
    type='OCSORT',
    tracker=dict(
        _delete_=True,
        type='OCSORTTracker',
        obj_score_thr=0.25,
        init_track_thr=0.25,
        weight_iou_with_det_scores=False,
        match_iou_thr=0.3,
        num_tentatives=3,
        vel_consist_weight=0.2,
        vel_delta_t=3,
        num_frames_retain=30))
