# OC-SORT (https://arxiv.org/abs/2203.14360) as MMTracking's ocsort_yolox_x_crowdhuman_mot17-private-half.py: the same
# YOLOX-X pedestrian detector, data, schedule and ONNX export as the ByteTrack config it builds on (export once, use
# both), with MMTracking's OCSORTTracker and its values. MMTracking's data.val/test.interpolate_tracks_cfg (gaps of
# 5-20 frames filled in after tracking) is not carried over: mmtrack-web does not interpolate tracks, and a key it
# would ignore is left out rather than kept silently.
_base_ = ['../bytetrack/bytetrack_yolox_x_crowdhuman_mot17-private-half.py']

model = dict(
    type='OCSORT',
    tracker=dict(
        _delete_=True,
        type='OCSORTTracker',
        obj_score_thr=0.3,
        init_track_thr=0.7,
        weight_iou_with_det_scores=True,
        match_iou_thr=0.3,
        num_tentatives=3,
        vel_consist_weight=0.2,
        vel_delta_t=3,
        num_frames_retain=30))
